package dev.flowline.uiconfig;

import dev.flowline.testkit.nativeimage.ReflectionRegistrationCheck;

class ReflectionRegistrationIT extends ReflectionRegistrationCheck {
}

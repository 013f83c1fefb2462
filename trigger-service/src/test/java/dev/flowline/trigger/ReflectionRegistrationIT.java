package dev.flowline.trigger;

import dev.flowline.testkit.nativeimage.ReflectionRegistrationCheck;

class ReflectionRegistrationIT extends ReflectionRegistrationCheck {
}

package dev.flowline.bridge;

import dev.flowline.testkit.nativeimage.ReflectionRegistrationCheck;

class ReflectionRegistrationIT extends ReflectionRegistrationCheck {
}

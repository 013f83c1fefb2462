package dev.flowline.task;

import dev.flowline.testkit.nativeimage.ReflectionRegistrationCheck;

class ReflectionRegistrationIT extends ReflectionRegistrationCheck {
}

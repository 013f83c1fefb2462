package dev.flowline.catalog;

import dev.flowline.testkit.nativeimage.ReflectionRegistrationCheck;

class ReflectionRegistrationIT extends ReflectionRegistrationCheck {
}

package dev.flowline.catalog.domain;

/** A definition version starts as an editable draft; once published it is immutable. */
public enum DefinitionStatus {
    DRAFT, PUBLISHED, DEPRECATED
}

package dev.flowline.contracts;

/** Kafka record headers every Flowline producer sets. */
public final class MessageHeaders {

    /** Unique id of the message; consumers drop a message whose id they have already applied. */
    public static final String MESSAGE_ID = "flowline-message-id";
    /** Name of the contract (record type) carried in the value, for example {@code catalog-change/v1}. */
    public static final String MESSAGE_TYPE = "flowline-message-type";

    private MessageHeaders() {
    }
}

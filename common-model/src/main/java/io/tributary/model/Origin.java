package io.tributary.model;

/** Which path observed the change. It never changes how an event is applied, only how it is counted and traced. */
public enum Origin {
    POLL,
    WEBHOOK,
    RECONCILE,
    CDC
}

package dev.vigil.stack;

/** A part of the local stack could not be started, checked or stopped; the message says which and why. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}

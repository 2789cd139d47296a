package dev.vigil.actions.library;

/** Why a library action did not do its work, as its outcome says it: a refused parameter, a process gone ... */
public final class ActionFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ActionFailedException(String reason) {
        super(reason);
    }
}

package dev.flowline.definitions;

/** What a workflow does when a step fails with an error code ({@code onError}). */
public enum ErrorAction {
    /** Try the step again (its retry policy, or the policy's own). */
    RETRY("retry"),
    /** Open a human task; resolving it retries, skips or aborts. */
    TASK("task"),
    /** End the run as failed. */
    FAIL("fail"),
    /** Go on as if the step had succeeded with no output. */
    SKIP("skip");

    private final String word;

    ErrorAction(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The action a word names, or null. */
    public static ErrorAction fromWord(String word) {
        for (ErrorAction action : values()) {
            if (action.word.equals(word)) {
                return action;
            }
        }
        return null;
    }
}

package io.streamload.connect.load;

/**
 * The answer to one step of a load, and what {@link OutcomeTable} says it means.
 *
 * @param step the step that was sent
 * @param response what came back
 * @param outcome its classification
 */
public record StepAnswer(LoadStep step, LoadResponse response, LoadOutcome outcome) {

    /** Classifies {@code response} as the answer to {@code step}. */
    public static StepAnswer of(LoadStep step, LoadResponse response) {
        return new StepAnswer(step, response, OutcomeTable.classify(step, response));
    }

    public OutcomeKind kind() {
        return outcome.kind();
    }

    /** The transaction id the answer names, -1 when none. */
    public long txnId() {
        return response.reply() == null ? -1 : response.reply().txnId();
    }

    /** One line for logs and messages: the step, the answer and the rule that read it. */
    public String describe() {
        return step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + response.describe()
                + " [" + outcome.rule() + "]";
    }
}

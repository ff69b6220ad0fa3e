package io.streamload.connect.load;

import java.io.IOException;

import io.streamload.connect.dialect.LoadReply;

/**
 * What one load attempt got back: no reply at all, or an HTTP status with a body that may or may
 * not be a Stream Load reply. This is the input of {@link OutcomeTable}.
 *
 * @param fe the FE the attempt was sent to (scheme, host, port: never credentials)
 * @param httpStatus the final HTTP status, or -1 when there was no reply
 * @param reply the parsed body of an HTTP 200, or null
 * @param bodyExcerpt the start of the body, for messages
 * @param transportError the I/O failure when there was no reply, or null
 */
public record LoadResponse(String fe, int httpStatus, LoadReply reply, String bodyExcerpt, IOException transportError) {

    public static LoadResponse noReply(String fe, IOException error) {
        return new LoadResponse(fe, -1, null, "", error);
    }

    /** One line for logs and error messages. */
    public String describe() {
        if (transportError != null) {
            return "no reply from " + fe + " (" + transportError.getClass().getSimpleName()
                    + (transportError.getMessage() == null ? "" : ": " + transportError.getMessage()) + ")";
        }
        if (reply != null) {
            return "Status '" + reply.rawStatus() + "'"
                    + (reply.existingJobStatus() == null ? "" : ", ExistingJobStatus '" + reply.existingJobStatus() + "'")
                    + ", Message '" + reply.message() + "' (HTTP " + httpStatus + " via " + fe + ")";
        }
        return "HTTP " + httpStatus + " via " + fe + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt);
    }
}

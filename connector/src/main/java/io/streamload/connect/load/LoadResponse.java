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
 * @param failure where the I/O failure struck, or null when there was a reply
 * @param atFe true when the reply or failure came from the FE hop (before any redirect)
 */
public record LoadResponse(String fe, int httpStatus, LoadReply reply, String bodyExcerpt, IOException transportError,
                           TransportFailure failure, boolean atFe) {

    /** A reply or failure whose place is not known (kept for callers that predate it). */
    public LoadResponse(String fe, int httpStatus, LoadReply reply, String bodyExcerpt, IOException transportError) {
        this(fe, httpStatus, reply, bodyExcerpt, transportError,
                transportError == null ? null : TransportFailure.RESET_WHILE_READING, true);
    }

    public static LoadResponse noReply(String fe, IOException error) {
        return new LoadResponse(fe, -1, null, "", error);
    }

    public static LoadResponse noReply(String fe, IOException error, TransportFailure failure, boolean atFe) {
        return new LoadResponse(fe, -1, null, "", error, failure, atFe);
    }

    /** One line for logs and error messages. */
    public String describe() {
        if (transportError != null) {
            return "no reply from " + fe + (atFe ? "" : " (after its redirect)") + ": "
                    + (failure == null ? "" : failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ", ")
                    + transportError.getClass().getSimpleName()
                    + (transportError.getMessage() == null ? "" : ": " + transportError.getMessage());
        }
        if (reply != null) {
            return "Status '" + reply.rawStatus() + "'"
                    + (reply.existingJobStatus() == null ? "" : ", ExistingJobStatus '" + reply.existingJobStatus() + "'")
                    + ", Message '" + reply.message() + "' (HTTP " + httpStatus + " via " + fe + ")";
        }
        return "HTTP " + httpStatus + " via " + fe + (bodyExcerpt.isEmpty() ? "" : ": " + bodyExcerpt);
    }
}

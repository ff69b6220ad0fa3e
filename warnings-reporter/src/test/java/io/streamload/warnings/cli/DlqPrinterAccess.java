package io.streamload.warnings.cli;

import io.streamload.warnings.dlq.DlqRecord;
import java.io.PrintStream;

/** Opens the package-private DLQ printer to tests in other packages. */
public final class DlqPrinterAccess {
    private DlqPrinterAccess() {
    }

    public static void print(DlqRecord record, PrintStream out) {
        DlqCommand.print(record, out);
    }
}

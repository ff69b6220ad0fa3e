package io.streamload.connect.schema;

/** Whether a table shows every change of a plan: its new columns, its widened types. */
final class SchemaPlanCheck {
    private SchemaPlanCheck() {
    }

    static boolean applied(TableShape shape, SchemaPlan plan) {
        for (SchemaPlan.NewColumn c : plan.adds()) {
            if (shape.column(c.name()) == null) {
                return false;
            }
        }
        for (SchemaPlan.Widening w : plan.widenings()) {
            TableShape.Column now = shape.column(w.column().name());
            if (now == null || SchemaPlan.wider(now.type(), w.to(), true) != now.type()) {
                return false;
            }
        }
        return true;
    }
}

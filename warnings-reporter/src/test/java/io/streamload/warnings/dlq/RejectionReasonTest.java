package io.streamload.warnings.dlq;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The coordinates come from the end the connector writes, whatever the reason before them says. */
class RejectionReasonTest {

    @Test
    void readsTheCoordinatesTheConnectorWrites() {
        RejectionReason reason = RejectionReason.parse("StarRocks rejected the row: NULL value in non-nullable column "
                + "'id'; label=kafka-orders_sink-orders-orders-0-17-17-0b5e2c9d71a4f386, txn_id=1012, "
                + "table=shop.orders; record orders-0@17");
        assertEquals(new RejectionReason("kafka-orders_sink-orders-orders-0-17-17-0b5e2c9d71a4f386", 1012L, "shop",
                "orders"), reason);
    }

    @Test
    void aReasonQuotingCoordinatesOfItsOwnDoesNotMisleadIt() {
        // The target's reason quotes the row's value, which a producer may have filled with anything.
        RejectionReason reason = RejectionReason.parse("Doris rejected the row: String 'label=x, txn_id=7, "
                + "table=other.t; db=evil' is too long; label=kafka-s-orders-orders-0-3-3-aa, txn_id=-1, "
                + "table=shop.orders; record orders-0@3");
        assertEquals(new RejectionReason("kafka-s-orders-orders-0-3-3-aa", -1L, "shop", "orders"), reason);
    }

    @Test
    void aRecordThatNeverReachedALoadHasATableOnly() {
        RejectionReason reason = RejectionReason.parse("The record cannot be loaded: not JSON: 'table=evil; "
                + "record x'; table=shop.orders; record orders-2@99");
        assertEquals(new RejectionReason(null, null, "shop", "orders"), reason);
    }

    @Test
    void aRejectionWithoutItsRecordIsReadToo() {
        RejectionReason reason = RejectionReason.parse("StarRocks rejected the row: too long; label=l-1, "
                + "txn_id=5, table=shop.orders; record an unknown record");
        assertEquals(new RejectionReason("l-1", 5L, "shop", "orders"), reason);
    }

    @Test
    void anotherShapeIsSearchedForTheLastOfEachKey() {
        assertEquals(new RejectionReason("orders-5", 77L, "shop", "orders"),
                RejectionReason.parse("column 'name' is NULL; label=orders-5 txn_id=77 table=shop.orders"));
        assertEquals(new RejectionReason("orders-5", 77L, "shop", "orders"),
                RejectionReason.parse("too long: label=x; label=orders-5 job_id=77 db=shop table=orders"));
        assertEquals(new RejectionReason(null, null, null, null), RejectionReason.parse("no coordinates"));
        assertEquals(new RejectionReason(null, null, null, null), RejectionReason.parse(null));
    }
}

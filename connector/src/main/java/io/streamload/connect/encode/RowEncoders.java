package io.streamload.connect.encode;

import java.util.Locale;

import io.streamload.connect.config.DataConfig;
import io.streamload.connect.config.StreamLoadSinkConfig;
import io.streamload.connect.dialect.StreamLoadDialect;

/** Chooses the row encoder a configuration asks for. */
public final class RowEncoders {

    private RowEncoders() {
    }

    public static RowEncoder forConfig(StreamLoadSinkConfig config, StreamLoadDialect dialect) {
        if (StreamLoadSinkConfig.FORMAT_CSV.equals(config.format())) {
            return new CsvRowEncoder(config.csvRowDelimiter());
        }
        DataConfig data = config.data();
        ValueSettings values = valueSettings(data);
        if (data.changeEvents()) {
            return new ChangeEventEncoder(changeEventSettings(data, dialect), values);
        }
        JsonRowEncoder rows = new JsonRowEncoder(values);
        return data.valuePassthrough() ? new JsonTextPassthrough(rows) : rows;
    }

    static ValueSettings valueSettings(DataConfig data) {
        return new ValueSettings(data.timeZone(),
                ValueSettings.BytesEncoding.valueOf(data.bytesFormat().toUpperCase(Locale.ROOT)),
                ValueSettings.NonFiniteFloats.valueOf(data.floatNonFinite().toUpperCase(Locale.ROOT)));
    }

    public static ChangeEventSettings changeEventSettings(DataConfig data, StreamLoadDialect dialect) {
        return new ChangeEventSettings(
                DataConfig.CDC_DEBEZIUM.equals(data.cdcMode())
                        ? ChangeEventSettings.Form.DEBEZIUM : ChangeEventSettings.Form.FLATTENED,
                dialect.deleteSignField(),
                ChangeEventSettings.Tombstones.valueOf(data.cdcTombstones().toUpperCase(Locale.ROOT)),
                ChangeEventSettings.Deletes.valueOf(data.cdcDeleteMode().toUpperCase(Locale.ROOT)),
                data.softDeleteColumn());
    }
}

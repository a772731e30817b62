package dev.vigil.heartbeat.wire;

/** One field of a message: a name and a typed value. Names may repeat within a message. */
public record HbField(String name, HbValue value) {
    public HbField {
        HbMessage.checkName(name);
        if (value == null) throw new IllegalArgumentException("field '" + Bytes.printable(name, 40) + "' has no value");
    }

    public FieldType type() {
        return value.type();
    }

    @Override
    public String toString() {
        String prefix = value.type() == FieldType.STRING ? "" : "(" + value.type().code() + ")";
        return prefix + Bytes.printable(name, 80) + "=" + value;
    }
}

package org.conflictguard.admin;

import java.time.Instant;
import java.util.List;
import org.conflictguard.Holder;
import org.conflictguard.LiveOperation;
import org.conflictguard.Row;
import org.conflictguard.RowClaim;

/** The admin resource's JSON, written by hand so that the library needs no JSON binding. Stateless. */
final class Json {

    private Json() {
    }

    static String operations(List<LiveOperation> live) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < live.size(); i++) {
            LiveOperation op = live.get(i);
            out.append(i == 0 ? "" : ",").append('{');
            holder(out, op.holder());
            out.append(",\"marks\":").append(op.marks()).append('}');
        }
        return out.append(']').toString();
    }

    static String row(Row row, RowClaim claim) {
        StringBuilder out = new StringBuilder("{\"entity\":").append(string(row.entity())).append(",\"id\":")
                .append(string(row.id())).append(",\"claimed\":").append(claim != null);
        if (claim != null) {
            out.append(",\"scope\":").append(string(claim.scope().name()));
            if (claim.within() != null) {
                out.append(",\"within\":{\"entity\":").append(string(claim.within().entity())).append(",\"id\":")
                        .append(string(claim.within().id())).append('}');
            }
            out.append(",\"holder\":{");
            holder(out, claim.holder());
            out.append('}');
        }
        return out.append('}').toString();
    }

    static String problem(int status, String title, String detail) {
        return "{\"status\":" + status + ",\"title\":" + string(title) + ",\"detail\":" + string(detail) + "}";
    }

    private static void holder(StringBuilder out, Holder holder) {
        out.append("\"operationId\":").append(string(holder.operationId())).append(",\"label\":")
                .append(string(holder.label())).append(",\"user\":").append(string(holder.user()))
                .append(",\"mode\":").append(string(holder.mode().name())).append(",\"since\":")
                .append(instant(holder.since())).append(",\"leaseUntil\":").append(instant(holder.leaseUntil()));
    }

    private static String instant(Instant instant) {
        return string(instant.toString());
    }

    /** A JSON string, or {@code null}. */
    static String string(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

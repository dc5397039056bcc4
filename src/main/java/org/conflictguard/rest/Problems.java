package org.conflictguard.rest;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.conflictguard.Holder;
import org.conflictguard.RowClaim;

/** Builds the problem+json responses. */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static Response conflict(String title, String detail, List<RowClaim> rows) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "type", "urn:conflictguard:conflict").append(',');
        field(json, "title", title).append(',');
        json.append("\"status\":409,");
        field(json, "detail", detail).append(",\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            RowClaim row = rows.get(i);
            Holder holder = row.holder();
            json.append(i == 0 ? "{" : ",{");
            field(json, "entity", row.row().entity()).append(',');
            field(json, "id", row.row().id());
            if (holder != null) {
                json.append(',');
                field(json, "operationId", holder.operationId()).append(',');
                field(json, "label", holder.label()).append(',');
                field(json, "user", holder.user()).append(',');
                field(json, "since", holder.since().toString()).append(',');
                field(json, "leaseUntil", holder.leaseUntil().toString()).append(',');
                field(json, "mode", holder.mode().name());
            }
            json.append('}');
        }
        json.append("]}");
        return Response.status(Response.Status.CONFLICT).type(MEDIA_TYPE).entity(json.toString()).build();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            return json.append("null");
        }
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}

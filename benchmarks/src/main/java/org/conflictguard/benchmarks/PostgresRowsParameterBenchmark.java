package org.conflictguard.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the PostgreSQL claim statement should receive its rows: one JSON parameter read with
 * {@code json_to_recordset} (encoded by hand in Java), or two text arrays read with
 * {@code unnest} (encoded by the driver). The statement only turns the parameter into rows and
 * counts them, so the figures compare the encoding, the transfer and the parsing, nothing else.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class PostgresRowsParameterBenchmark {

    @Param({"10", "100", "1000"})
    public int rows;

    private Databases database;
    private Connection connection;
    private String[] entities;
    private String[] ids;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        database = Databases.fresh("postgresql");
        connection = database.connect();
        entities = new String[rows];
        ids = new String[rows];
        for (int i = 0; i < rows; i++) {
            entities[i] = "Task";
            ids[i] = Integer.toString(100_000 + i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        connection.close();
        database.drop();
    }

    @Benchmark
    public long jsonRecordset() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT COUNT(*) FROM json_to_recordset(CAST(? AS json)) AS w(e text, i text)")) {
            s.setString(1, json());
            return count(s);
        }
    }

    @Benchmark
    public long textArrays() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT COUNT(*) FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS w(e, i)")) {
            s.setObject(1, entities);
            s.setObject(2, ids);
            return count(s);
        }
    }

    private static long count(PreparedStatement s) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The encoder the store used before it passed arrays. */
    private String json() {
        StringBuilder json = new StringBuilder(rows * 24 + 2).append('[');
        for (int r = 0; r < rows; r++) {
            json.append(r == 0 ? "{\"e\":" : ",{\"e\":");
            string(json, entities[r]);
            json.append(",\"i\":");
            string(json, ids[r]);
            json.append('}');
        }
        return json.append(']').toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}

package org.conflictguard.reliability;


import org.conflictguard.support.TestDatabase;

/** Database store faults on PostgreSQL, including a connection killed by the server mid-claim. */
class PostgresFaultsTest extends ServerDatabaseFaultsTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Override
    protected String victimUrlParameters() {
        return "ApplicationName=cg-victim";
    }

    @Override
    protected long killVictimConnections() {
        return db.count("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?"
                + " AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid()", "cg-victim");
    }
}

package org.conflictguard.reliability;

import org.conflictguard.support.TestDatabase;

/** Database store faults on MariaDB, including a connection killed by the server mid-claim. */
class MariaDbFaultsTest extends ServerDatabaseFaultsTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }

    @Override
    protected String victimUrlParameters() {
        return "connectionAttributes=program_name:cg-victim";
    }

    @Override
    protected long killVictimConnections() {
        long killed = 0;
        for (long id : db.longs("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND COMMAND = 'Query'"
                + " AND INFO LIKE '%cg_object_lock%' AND ID <> CONNECTION_ID()")) {
            try {
                db.execute("KILL CONNECTION " + id);
                killed++;
            } catch (IllegalStateException gone) {
                // the statement finished and the connection went idle or away first
            }
        }
        return killed;
    }
}

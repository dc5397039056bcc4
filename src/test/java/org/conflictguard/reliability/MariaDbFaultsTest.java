package org.conflictguard.reliability;

import org.conflictguard.support.TestDatabase;

/** Database store faults on MARIADB. */
class MariaDbFaultsTest extends DatabaseFaultsTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.MARIADB;
    }
}

package org.conflictguard.reliability;

import org.conflictguard.support.TestDatabase;

/** Database store faults on H2. */
class H2FaultsTest extends DatabaseFaultsTest {

    @Override
    protected TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}

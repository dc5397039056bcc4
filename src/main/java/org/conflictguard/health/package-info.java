/**
 * API (optional, needs MicroProfile Health): the readiness check of the claim store, found by CDI
 * where the server offers MicroProfile Health (WildFly, Payara).
 */
package org.conflictguard.health;

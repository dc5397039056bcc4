/**
 * Not API: the guard's meters. {@link org.conflictguard.internal.metrics.Meters} is what the guard
 * reports to; the Micrometer implementation is the only class that touches Micrometer and is
 * loaded only when a meter registry is in use.
 */
package org.conflictguard.internal.metrics;

/**
 * The CDI integration: the producer of the application's {@link org.conflictguard.ConflictGuard}
 * and the {@link org.conflictguard.Guarded} interceptor. Discovered from the jar's
 * {@code beans.xml}; nothing to register. Not API: use the annotations and inject
 * {@code ConflictGuard}.
 */
package org.conflictguard.cdi;

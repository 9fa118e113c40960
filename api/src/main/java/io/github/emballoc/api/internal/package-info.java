/**
 * Internal: the standard heap classes behind {@link io.github.emballoc.api.RawHeaps}. Not API: the module
 * exports this package to no one; on the class path it is visible but may change in any release.
 */
package io.github.emballoc.api.internal;

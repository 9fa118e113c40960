/**
 * The {@code emballoc} command: {@code demo}, {@code replay}, {@code size}, {@code inspect} and
 * {@code providers}. {@link io.github.emballoc.cli.Emballoc} is the entry point; everything else in the
 * package is internal to the command.
 */
package io.github.emballoc.cli;

/** Helpers shared by the hardware clients; not API. */
package dev.opsflow.hardware.internal;

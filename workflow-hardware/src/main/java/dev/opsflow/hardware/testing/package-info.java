/** Shared pieces of the hardware simulators (the request log). */
package dev.opsflow.hardware.testing;

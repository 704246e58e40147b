/** A stateful MAAS fake on loopback: {@link dev.opsflow.hardware.maas.testing.MaasSimulator}. */
package dev.opsflow.hardware.maas.testing;

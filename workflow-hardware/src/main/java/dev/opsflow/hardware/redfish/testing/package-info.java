/**
 * A Redfish service on loopback that serves a DMTF-layout {@link
 * dev.opsflow.hardware.redfish.testing.Mockup} with behaviour: {@link
 * dev.opsflow.hardware.redfish.testing.RedfishSimulator}.
 */
package dev.opsflow.hardware.redfish.testing;

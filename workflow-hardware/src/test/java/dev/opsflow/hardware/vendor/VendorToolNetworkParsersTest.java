package dev.opsflow.hardware.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The BMC network commands and parsers on output as the vendors document it: Dell's RACADM CLI
 * guide ({@code racadm get iDRAC.IPv4}, the {@code iDRAC.IPv4} attribute group: {@code Address},
 * {@code DHCPEnable}, {@code Gateway}, {@code Netmask}); HPE's iLOrest ({@code ethernet
 * --network_ipv4 <address>,<gateway>,<netmask>}, {@code rawget}/{@code rawpatch} of the iLO's
 * EthernetInterface as Redfish defines it).
 */
class VendorToolNetworkParsersTest {

  private static final String RACADM_IPV4 =
      """
      [Key=iDRAC.Embedded.1#IPv4.1]
      Address=10.35.155.160
      DHCPEnable=Disabled
      DNS1=10.35.155.1
      DNS2=0.0.0.0
      DNSFromDHCP=Disabled
      Enable=Enabled
      Gateway=10.35.155.1
      Netmask=255.255.255.0
      """;

  @Test
  void racadmReadsTheIdracIpv4Group() {
    var racadm = new Racadm();
    assertThat(racadm.readNetworkCommand()).contains("racadm get iDRAC.IPv4");
    assertThat(racadm.parseNetwork(RACADM_IPV4))
        .isEqualTo(Ipv4Settings.fixed("10.35.155.160", "255.255.255.0", "10.35.155.1"));
    assertThat(
            racadm.parseNetwork(RACADM_IPV4.replace("DHCPEnable=Disabled", "DHCPEnable=Enabled")))
        .isEqualTo(Ipv4Settings.dhcpOn());
    assertThatThrownBy(() -> racadm.parseNetwork("ERROR: SWC0248 : Invalid object name specified."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[Key=iDRAC.Embedded.1#IPv4.1]");
  }

  @Test
  void racadmSetsDhcpOffThenNetmaskGatewayAndTheAddressLast() {
    var racadm = new Racadm();
    assertThat(
            racadm.writeNetworkCommands(
                Ipv4Settings.fixed("192.168.1.140", "255.255.255.0", "192.168.1.1")))
        .containsExactly(
            "racadm set iDRAC.IPv4.DHCPEnable Disabled",
            "racadm set iDRAC.IPv4.Netmask '255.255.255.0'",
            "racadm set iDRAC.IPv4.Gateway '192.168.1.1'",
            "racadm set iDRAC.IPv4.Address '192.168.1.140'");
    assertThat(racadm.writeNetworkCommands(Ipv4Settings.dhcpOn()))
        .containsExactly("racadm set iDRAC.IPv4.DHCPEnable Enabled");
    racadm.checkNetworkWritten(
        "racadm set iDRAC.IPv4.Address 192.168.1.140",
        "[Key=iDRAC.Embedded.1#IPv4.1]\nObject value modified successfully\n");
    assertThatThrownBy(
            () ->
                racadm.checkNetworkWritten(
                    "racadm set iDRAC.IPv4.Address x",
                    "ERROR: RAC1017: Invalid object value specified."))
        .hasMessageContaining("RAC1017");
  }

  private static final String ILO_INTERFACE =
      """
      {
        "@odata.id": "/redfish/v1/Managers/1/EthernetInterfaces/1/",
        "@odata.type": "#EthernetInterface.v1_4_1.EthernetInterface",
        "DHCPv4": {"DHCPEnabled": false, "UseDNSServers": false},
        "IPv4Addresses": [{"Address": "16.1.15.1", "AddressOrigin": "Static",
                           "Gateway": "16.1.15.254", "SubnetMask": "255.255.252.0"}],
        "IPv4StaticAddresses": [],
        "Id": "1",
        "Name": "Manager Dedicated Network Interface"
      }
      """;

  @Test
  void ilorestReadsTheIloInterface() {
    var ilorest = new Ilorest();
    assertThat(ilorest.readNetworkCommand())
        .contains("ilorest rawget /redfish/v1/Managers/1/EthernetInterfaces/1/");
    assertThat(ilorest.parseNetwork("Discovering data...Done\n" + ILO_INTERFACE))
        .isEqualTo(Ipv4Settings.fixed("16.1.15.1", "255.255.252.0", "16.1.15.254"));
    assertThat(
            ilorest.parseNetwork(
                ILO_INTERFACE.replace("\"DHCPEnabled\": false", "\"DHCPEnabled\": true")))
        .isEqualTo(Ipv4Settings.dhcpOn());
    assertThatThrownBy(() -> ilorest.parseNetwork("{\"Id\": \"1\"}"))
        .hasMessageContaining("DHCPv4.DHCPEnabled");
  }

  @Test
  void ilorestMakesTheIloStaticWithTheEthernetCommandAndDhcpWithARawPatch() {
    var ilorest = new Ilorest();
    assertThat(
            ilorest.writeNetworkCommands(
                Ipv4Settings.fixed("192.168.1.140", "255.255.255.0", "192.168.1.1")))
        .containsExactly(
            "ilorest ethernet --network_ipv4 '192.168.1.140,192.168.1.1,255.255.255.0'");
    assertThat(ilorest.writeNetworkCommands(Ipv4Settings.dhcpOn()))
        .singleElement()
        .asString()
        .contains("ilorest rawpatch")
        .contains(
            "{\"/redfish/v1/Managers/1/EthernetInterfaces/1/\": {\"DHCPv4\": {\"DHCPEnabled\": true}}}");
    assertThatThrownBy(
            () ->
                ilorest.checkNetworkWritten(
                    "ilorest ethernet --network_ipv4 x",
                    "Error: An invalid number of arguments provided"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sumManagesNoBmcNetwork() {
    var sum = new SupermicroSum();
    assertThat(sum.readNetworkCommand()).isEmpty();
    assertThat(sum.writeNetworkCommands(Ipv4Settings.dhcpOn())).isEmpty();
  }
}

package dev.opsflow.hardware.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opsflow.workflow.ValidationException;
import org.junit.jupiter.api.Test;

class IpmiAddressPoolTest {

  @Test
  void aShortRangeCountsTheLastOctet() {
    assertThat(IpmiAddressPool.parse("192.168.1.100-110").addresses())
        .hasSize(11)
        .startsWith("192.168.1.100", "192.168.1.101")
        .endsWith("192.168.1.110");
  }

  @Test
  void aFullRangeMayCrossAnOctet() {
    assertThat(IpmiAddressPool.parse("10.0.0.254-10.0.1.1").addresses())
        .containsExactly("10.0.0.254", "10.0.0.255", "10.0.1.0", "10.0.1.1");
  }

  @Test
  void aCidrBlockGivesItsHostAddresses() {
    assertThat(IpmiAddressPool.parse("192.168.1.96/29").addresses())
        .containsExactly(
            "192.168.1.97",
            "192.168.1.98",
            "192.168.1.99",
            "192.168.1.100",
            "192.168.1.101",
            "192.168.1.102");
  }

  @Test
  void oneAddressIsARangeOfOne() {
    assertThat(IpmiAddressPool.parse("192.168.1.7").size()).isEqualTo(1);
  }

  @Test
  void badRangesNameTheRangeAndWhatIsExpected() {
    assertThatThrownBy(() -> IpmiAddressPool.parse("192.168.1.110-100"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("ipmiRange '192.168.1.110-100' ends before it starts");
    assertThatThrownBy(() -> IpmiAddressPool.parse("192.168.1.100-300"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not an octet");
    assertThatThrownBy(() -> IpmiAddressPool.parse("bmc-range"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("is not an IPv4 range such as 192.168.1.100-110");
    assertThatThrownBy(() -> IpmiAddressPool.parse("10.0.0.0/8"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("expected /16 to /32");
    assertThatThrownBy(() -> IpmiAddressPool.parse("127.0.0.1-3"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not a usable host address");
  }
}

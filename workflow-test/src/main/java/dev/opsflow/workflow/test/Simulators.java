package dev.opsflow.workflow.test;

import dev.opsflow.hardware.maas.testing.MaasSimulator;
import dev.opsflow.hardware.redfish.testing.Mockup;
import dev.opsflow.hardware.redfish.testing.RedfishSimulator;
import dev.opsflow.redis.cloud.testing.RedisCloudSimulator;
import dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator;
import java.time.Clock;
import java.util.Set;

/**
 * The simulators {@link WorkflowExtension} hands out. Known by class name, and each started from a
 * class of its own, so the kit loads an adapter's classes only when a test asks for its simulator:
 * the adapters are optional dependencies of the kit, and a host has the ones it depends on itself.
 */
final class Simulators {
  private static final String RE = "dev.opsflow.redis.enterprise.testing.RedisEnterpriseSimulator";
  private static final String CLOUD = "dev.opsflow.redis.cloud.testing.RedisCloudSimulator";
  private static final String MAAS = "dev.opsflow.hardware.maas.testing.MaasSimulator";
  private static final String REDFISH = "dev.opsflow.hardware.redfish.testing.RedfishSimulator";
  private static final Set<String> NAMES = Set.of(RE, CLOUD, MAAS, REDFISH);

  private Simulators() {}

  static boolean isSimulator(Class<?> type) {
    return NAMES.contains(type.getName());
  }

  /** Starts the simulator of {@code type} on {@code clock}. */
  static AutoCloseable start(Class<?> type, Clock clock) {
    return switch (type.getName()) {
      case RE -> RedisEnterprise.start(clock);
      case CLOUD -> RedisCloud.start(clock);
      case MAAS -> Maas.start(clock);
      case REDFISH -> Redfish.start(clock);
      default -> throw new IllegalArgumentException("not a simulator: " + type.getName());
    };
  }

  private static final class RedisEnterprise {
    static AutoCloseable start(Clock clock) {
      return RedisEnterpriseSimulator.builder().clock(clock).start();
    }
  }

  private static final class RedisCloud {
    static AutoCloseable start(Clock clock) {
      return RedisCloudSimulator.start(clock);
    }
  }

  private static final class Maas {
    static AutoCloseable start(Clock clock) {
      return MaasSimulator.start(clock);
    }
  }

  private static final class Redfish {
    static AutoCloseable start(Clock clock) {
      return RedfishSimulator.start(Mockup.builtIn(), clock);
    }
  }
}

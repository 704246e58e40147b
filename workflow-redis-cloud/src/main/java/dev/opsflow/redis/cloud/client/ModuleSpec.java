package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A module of a database ({@code DatabaseModuleSpec}): {@code RedisJSON}, {@code RediSearch}, ...
 * Immutable.
 *
 * @param name the module's name
 * @param parameters its parameters, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModuleSpec(String name, Map<String, Object> parameters) {
  /**
   * A module without parameters.
   *
   * @param name the module's name
   * @return the module spec
   */
  public static ModuleSpec of(String name) {
    return new ModuleSpec(name, null);
  }
}

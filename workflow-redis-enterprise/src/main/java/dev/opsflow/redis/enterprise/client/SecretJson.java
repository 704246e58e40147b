package dev.opsflow.redis.enterprise.client;

import dev.opsflow.workflow.Secret;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/** Reads a JSON string into a {@link Secret}, so credentials in answers never sit in clear. */
final class SecretJson extends ValueDeserializer<Secret> {
  @Override
  public Secret deserialize(JsonParser p, DeserializationContext ctxt) {
    String value = p.getValueAsString();
    return value == null ? null : Secret.of(value);
  }
}

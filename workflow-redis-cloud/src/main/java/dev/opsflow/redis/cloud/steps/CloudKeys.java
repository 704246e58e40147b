package dev.opsflow.redis.cloud.steps;

import dev.opsflow.redis.cloud.client.SubscriptionCreateRequest;
import dev.opsflow.workflow.Key;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The context keys the Redis Cloud steps share. Every value is Jackson-serialisable, so a run can
 * be persisted and resumed; none holds a secret (passwords are read from the API when needed).
 */
public final class CloudKeys {
  private CloudKeys() {}

  /** The subscription's creation plan, built from the inputs by the first step. */
  public static final Key<SubscriptionCreateRequest> REQUEST =
      Key.of("subscriptionRequest", SubscriptionCreateRequest.class);

  /** The subscription's id, found or created. */
  public static final Key<Long> SUBSCRIPTION_ID = Key.of("subscriptionId", Long.class);

  /** Whether this run created the subscription (only then does rollback delete it). */
  public static final Key<Boolean> SUBSCRIPTION_CREATED =
      Key.of("subscriptionCreated", Boolean.class);

  /** The id of the task creating the subscription, so a resumed run awaits it, not re-sends. */
  public static final Key<String> SUBSCRIPTION_TASK = Key.of("subscriptionTask", String.class);

  /** Database ids by name, in the plan's order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<Map<String, Long>> DATABASE_IDS = (Key) Key.of("databaseIds", Map.class);

  /** The ids of the databases this run created one by one (rollback deletes these). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<Long>> CREATED_DATABASES =
      (Key) Key.of("createdDatabases", List.class);

  /** The VPC peering's id, found or created. */
  public static final Key<Long> PEERING_ID = Key.of("vpcPeeringId", Long.class);

  /** Whether this run created the VPC peering. */
  public static final Key<Boolean> PEERING_CREATED = Key.of("vpcPeeringCreated", Boolean.class);

  /** The Essentials plan chosen. */
  public static final Key<Long> PLAN_ID = Key.of("planId", Long.class);

  /** The Essentials database's name (an input of quick-database). */
  public static final Key<String> DATABASE_NAME = Key.of("databaseName", String.class);

  /** Where quick-database writes the credentials, mode 0600 (an input of quick-database). */
  public static final Key<Path> CREDENTIALS_FILE = Key.of("credentialsFile", Path.class);

  /**
   * Whether the databases require TLS (the {@code enableTls} input): sent as {@code enableTls}
   * where a request takes it; absent, nothing about TLS is sent and the API's default (off)
   * applies.
   */
  public static final Key<Boolean> ENABLE_TLS = Key.of("enableTls", Boolean.class);

  /** The ids of the databases whose TLS setting this run changed (rollback restores these). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static final Key<List<Long>> TLS_CHANGED = (Key) Key.of("tlsChanged", List.class);

  /** Whether the database is Essentials (fixed) rather than Pro. */
  public static final Key<Boolean> ESSENTIALS = Key.of("essentials", Boolean.class);
}

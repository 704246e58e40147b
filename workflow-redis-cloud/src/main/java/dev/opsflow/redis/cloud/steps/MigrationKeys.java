package dev.opsflow.redis.cloud.steps;

import dev.opsflow.workflow.Key;
import dev.opsflow.workflow.Secret;
import java.time.Duration;

/**
 * The context keys of {@code migrate-database-to-cloud}: its inputs (named as the workflow's
 * inputs) and what its steps record. The target's subscription is {@link
 * CloudKeys#SUBSCRIPTION_ID}.
 */
public final class MigrationKeys {
  private MigrationKeys() {}

  /** The target Pro database's id. */
  public static final Key<Long> DATABASE_ID = Key.of("databaseId", Long.class);

  /** The source database's endpoint, {@code host:port}. */
  public static final Key<String> SOURCE_ENDPOINT = Key.of("sourceEndpoint", String.class);

  /** The user the sync logs in to the source with, or none (the default user). */
  public static final Key<String> SOURCE_USER = Key.of("sourceUser", String.class);

  /** The source's password. */
  public static final Key<Secret> SOURCE_PASSWORD = Key.of("sourcePassword", Secret.class);

  /** Stop the sync once verified and report the cut-over point. */
  public static final Key<Boolean> CUT_OVER = Key.of("cutOver", Boolean.class);

  /** How many keys to compare. */
  public static final Key<Integer> SAMPLE_SIZE = Key.of("sampleSize", Integer.class);

  /** How long to wait for the copy. */
  public static final Key<Duration> WAIT_TIMEOUT = Key.of("waitTimeout", Duration.class);

  /** Whether this run configured the sync (only then does rollback remove it). */
  public static final Key<Boolean> SYNC_STARTED = Key.of("cloud.syncStarted", Boolean.class);
}

package dev.opsflow.workflow.store;

import dev.opsflow.workflow.spi.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What differs between the databases {@link JdbcExecutionStore} supports, and its schema. */
enum JdbcDialect {
  POSTGRESQL("schema-postgresql.sql", "CAST(? AS JSON)", " FOR UPDATE SKIP LOCKED"),
  H2("schema-h2.sql", "?", " FOR UPDATE");

  static final List<String> TABLES =
      List.of(
          "opsflow_runs", "opsflow_run_events", "opsflow_idempotency", "opsflow_cancel_requests");
  private static final String RESOURCE_DIR = "dev/opsflow/workflow/store/";

  /** Serialises concurrent schema creation by several engines (an arbitrary constant). */
  private static final long SCHEMA_LOCK = 0x6f707366_6c6f7731L;

  final String schemaResource;
  final String jsonParameter;
  final String lockForClaim;

  JdbcDialect(String schemaResource, String jsonParameter, String lockForClaim) {
    this.schemaResource = RESOURCE_DIR + schemaResource;
    this.jsonParameter = jsonParameter;
    this.lockForClaim = lockForClaim;
  }

  static JdbcDialect of(Connection c) throws SQLException {
    String product = c.getMetaData().getDatabaseProductName();
    if ("PostgreSQL".equalsIgnoreCase(product)) {
      return POSTGRESQL;
    }
    if ("H2".equalsIgnoreCase(product)) {
      return H2;
    }
    throw new StoreException(
        "JdbcExecutionStore does not support the database '"
            + product
            + "'; fix: use PostgreSQL 15+ (production) or H2 (tests)",
        null);
  }

  /** Applies the schema (idempotent), serialised against other engines doing the same. */
  void createSchema(Connection c) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(this != POSTGRESQL);
    try (Statement s = c.createStatement()) {
      if (this == POSTGRESQL) {
        s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      }
      for (String sql : statements()) {
        s.execute(sql);
      }
      if (this == POSTGRESQL) {
        c.commit();
      }
    } catch (SQLException e) {
      if (this == POSTGRESQL) {
        c.rollback();
      }
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** Checks that every table exists; a missing one is a StoreException saying how to create it. */
  void verifySchema(Connection c, String where) throws SQLException {
    c.setAutoCommit(true);
    for (String table : TABLES) {
      try (Statement s = c.createStatement()) {
        s.execute("SELECT 1 FROM " + table + " WHERE 1 = 0");
      } catch (SQLException e) {
        String fix =
            "apply the SQL resource "
                + schemaResource
                + " (in the workflow-core jar) "
                + "with your migration tool, or let the store create it: "
                + "JdbcExecutionStore.builder(dataSource).createSchema(true)";
        throw new StoreException(
            "the execution store table "
                + table
                + " does not exist in "
                + where
                + " (schema creation is off); fix: "
                + fix,
            fix,
            e);
      }
    }
  }

  /** Whether {@code table} exists (and this user may read it). */
  boolean hasTable(Connection c, String table) {
    try (Statement s = c.createStatement()) {
      s.execute("SELECT 1 FROM " + table + " WHERE 1 = 0");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** The schema resource's statements. */
  List<String> statements() {
    String script;
    try (InputStream in = JdbcDialect.class.getClassLoader().getResourceAsStream(schemaResource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + schemaResource + " is missing from the jar");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read resource " + schemaResource, e);
    }
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String line : script.split("\n")) {
      if (!line.strip().startsWith("--")) {
        current.append(line).append('\n');
      }
    }
    for (String sql : current.toString().split(";")) {
      if (!sql.isBlank()) {
        out.add(sql.strip());
      }
    }
    return out;
  }
}

package dev.opsflow.workflow.internal;

import dev.opsflow.workflow.event.WorkflowListener;
import dev.opsflow.workflow.spi.ExecutionStore;
import dev.opsflow.workflow.spi.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What an engine lends its runs: store, threads, time, listeners, identity. */
public record EngineServices(
    ExecutionStore store,
    Executor executor,
    ScheduledExecutorService watchdog,
    Clock clock,
    Sleeper sleeper,
    List<WorkflowListener> listeners,
    String owner,
    Duration lease,
    AttemptThreads attempts) {}

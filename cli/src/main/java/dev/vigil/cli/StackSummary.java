package dev.vigil.cli;

import java.io.PrintWriter;
import java.net.URI;

import dev.vigil.stack.StackEndpoints;
import dev.vigil.stack.StackHealth;

/** Prints where each part of a local stack listens, the way a person wants to read it. */
final class StackSummary {

    private StackSummary() {
    }

    static void print(PrintWriter out, StackEndpoints stack) {
        print(out, stack, null);
    }

    /** With {@code health}, each line also says whether that part answers. */
    static void print(PrintWriter out, StackEndpoints stack, StackHealth health) {
        URI clickHouse = URI.create(stack.clickHouseHttpUrl());
        row(out, "Kafka bootstrap", stack.kafkaBootstrapServers(), health == null ? null : health.kafka());
        row(out, "Schema registry", stack.schemaRegistryUrl() + "  (Confluent API)", health == null ? null : health.registry());
        row(out, "ClickHouse HTTP", stack.clickHouseHttpUrl() + "  (user default, no password, loopback only)",
                health == null ? null : health.clickHouse());
        String indent = health == null ? "" : " ".repeat(7);
        row(out, indent + "ClickHouse native", clickHouse.getHost() + ":" + stack.clickHouseTcpPort(), null);
        row(out, indent + "Work folder", stack.workDir() + "  (logs: apicurio-registry.log, clickhouse/logs/)", null);
        out.printf("Grafana: add a data source of type grafana-clickhouse-datasource with host %s, port %d, protocol native,%n"
                + "         user default and no password, database vigil; the dashboards are in grafana/dashboards (docs/operations.md).%n",
                clickHouse.getHost(), stack.clickHouseTcpPort());
        out.flush();
    }

    private static void row(PrintWriter out, String what, String where, Boolean up) {
        String state = up == null ? "" : (up ? "[up]   " : "[DOWN] ");
        out.printf("  %s%-18s %s%n", state, what, where);
    }
}

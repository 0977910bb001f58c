package io.bantin.change;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/** Counts committed changes by kind ({@code bantin_events_total}): {@code published} is the number of bulletins published. */
@Component
class ChangeMetrics implements ChangeListener {

    private final Counter[] byKind = new Counter[Change.Kind.values().length];

    ChangeMetrics(MeterRegistry registry) {
        for (Change.Kind kind : Change.Kind.values()) {
            byKind[kind.ordinal()] = Counter.builder("bantin.events").tag("kind", kind.name())
                    .description("Committed bulletin events seen by this instance, any instance's writes included")
                    .register(registry);
        }
    }

    @Override
    public void changed(Change change) {
        byKind[change.kind().ordinal()].increment();
    }

    @Override
    public int getOrder() {
        return METRICS;
    }
}

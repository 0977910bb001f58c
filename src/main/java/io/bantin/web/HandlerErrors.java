package io.bantin.web;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.support.HandlerFunctionAdapter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Runs the functional handlers like Spring's own adapter, but turns an {@link Error} they throw while
 * building or subscribing their answer into an error signal, so {@link ProblemExceptionHandler} answers
 * it with a 500 problem. Without this, Reactor rethrows "JVM-fatal" errors instead of signalling them
 * (LinkageError among them: an {@code ExceptionInInitializerError}, then {@code NoClassDefFoundError}, from
 * a class that fails to initialise), and the request hung with nothing written. An Error thrown later on
 * another thread (inside an operator after a database reply) is out of reach here: Reactor rethrows it
 * on that thread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE) // ahead of the HandlerFunctionAdapter WebFlux registers for the same handlers
class HandlerErrors implements HandlerAdapter {

    private final HandlerFunctionAdapter handlers = new HandlerFunctionAdapter();

    @Override
    public boolean supports(Object handler) {
        return handler instanceof HandlerFunction;
    }

    @Override
    public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
        Mono<HandlerResult> result;
        try {
            result = handlers.handle(exchange, handler);
        }
        catch (Error error) {
            return Mono.error(failure(error));
        }
        return new Guarded(result);
    }

    private static RuntimeException failure(Error error) {
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
            throw error; // out of memory or a broken JVM: nothing sensible can be answered
        }
        return new IllegalStateException("The handler failed with " + error, error);
    }

    /** The handler's answer, with an Error thrown while subscribing to it delivered as an error signal. */
    private static final class Guarded extends Mono<HandlerResult> {

        private final Mono<HandlerResult> source;

        Guarded(Mono<HandlerResult> source) {
            this.source = source;
        }

        @Override
        public void subscribe(CoreSubscriber<? super HandlerResult> actual) {
            Once once = new Once(actual);
            try {
                source.subscribe(once);
            }
            catch (Error error) {
                once.fail(failure(error));
            }
        }
    }

    /** Passes signals through, and can end the sequence with an error once if it has not ended yet. */
    private static final class Once implements CoreSubscriber<HandlerResult>, org.reactivestreams.Subscription {

        private final CoreSubscriber<? super HandlerResult> actual;
        private org.reactivestreams.Subscription upstream;
        private boolean done;

        Once(CoreSubscriber<? super HandlerResult> actual) {
            this.actual = actual;
        }

        @Override
        public reactor.util.context.Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(org.reactivestreams.Subscription subscription) {
            if (Operators.validate(upstream, subscription)) {
                upstream = subscription;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(HandlerResult result) {
            if (!done) {
                actual.onNext(result);
            }
        }

        @Override
        public void onError(Throwable error) {
            if (!done) {
                done = true;
                actual.onError(error);
            }
        }

        @Override
        public void onComplete() {
            if (!done) {
                done = true;
                actual.onComplete();
            }
        }

        void fail(RuntimeException failure) {
            if (done) {
                return;
            }
            done = true;
            if (upstream == null) {
                Operators.error(actual, failure);
            }
            else {
                upstream.cancel();
                actual.onError(failure);
            }
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }
    }
}

package io.tributary.bench;

import com.standardwebhooks.Webhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@code count} distinct, signed Standard Webhooks (full {@code message.updated} events, ~450 bytes)
 * to a running webhook-ingest-service with at most {@code concurrency} requests in flight, over loopback,
 * and prints accepted webhooks/s and the accept latency (request sent → 2xx received, i.e. until Kafka
 * acknowledged with acks=all) at p50/p99/max. The first {@code warmup} requests are sent the same way but
 * not measured. Requests are signed before the clock starts (Standard Webhooks reference library).
 *
 * <p>Usage: {@code WebhookIngestBench URL SECRET COUNT CONCURRENCY WARMUP}; see {@code bench/webhook-ingest.sh}.
 */
public final class WebhookIngestBench {

    private WebhookIngestBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: WebhookIngestBench URL SECRET COUNT CONCURRENCY WARMUP");
            System.exit(2);
        }
        URI url = URI.create(args[0]);
        Webhook signer = new Webhook(args[1]);
        int count = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        run(client, requests(url, signer, warmup, "w"), concurrency, "warm-up");
        run(client, requests(url, signer, count, "m"), concurrency, "measured");
    }

    private static HttpRequest[] requests(URI url, Webhook signer, int n, String prefix) throws Exception {
        HttpRequest[] requests = new HttpRequest[n];
        long now = Instant.now().getEpochSecond();
        for (int i = 0; i < n; i++) {
            String at = Instant.ofEpochMilli(1_790_000_000_000L + i).toString();
            String body = """
                    {"type":"message.updated","timestamp":"%s","data":{"id":"%s-%d","topic_id":"t-%d","user_id":"u-%d",\
                    "parent_id":null,"body":"Benchmark message %d with some text, emoji 🎉 and quotes \\"here\\".",\
                    "created_at":"2026-11-01T00:00:00.000Z","updated_at":"%s"}}""".formatted(at, prefix, i, i % 500, i % 97, i, at);
            String id = "msg_" + prefix + i;
            requests[i] = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("webhook-id", id)
                    .header("webhook-timestamp", Long.toString(now))
                    .header("webhook-signature", signer.sign(id, now, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
        }
        return requests;
    }

    private static void run(HttpClient client, HttpRequest[] requests, int concurrency, String phase)
            throws InterruptedException {
        if (requests.length == 0) {
            return;
        }
        long[] latencies = new long[requests.length];
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(requests.length);
        long start = System.nanoTime();
        for (int i = 0; i < requests.length; i++) {
            inFlight.acquire();
            int index = i;
            long sent = System.nanoTime();
            client.sendAsync(requests[i], HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencies[index] = System.nanoTime() - sent;
                if (error == null && response.statusCode() / 100 == 2) {
                    accepted.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "%-8s %d requests, %d in flight: %d accepted, %d failed in %.2f s = %.0f accepted/s;"
                        + " latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", phase, requests.length, concurrency,
                accepted.get(), failed.get(), seconds, accepted.get() / seconds, percentile(latencies, 0.50),
                percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}

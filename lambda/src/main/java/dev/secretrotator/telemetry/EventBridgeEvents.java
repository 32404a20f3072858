package dev.secretrotator.telemetry;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** {@link RotationEvents} on an EventBridge bus; failures are logged, counted and returned, never thrown. */
public final class EventBridgeEvents implements RotationEvents {
    private final EventBridgeClient client;
    private final String busName;
    private final Telemetry telemetry;

    public EventBridgeEvents(EventBridgeClient client, String busName, Telemetry telemetry) {
        this.client = client;
        this.busName = busName;
        this.telemetry = telemetry;
    }

    @Override
    public boolean publish(String detailType, Map<String, Object> detail) {
        String json = Json.write(detail);
        try {
            PutEventsResponse r = client.putEvents(b -> b.entries(e -> e.eventBusName(busName).source(SOURCE)
                    .detailType(detailType).detail(json)));
            if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
                return failed(detailType, r.entries().get(0).errorCode());
            }
            telemetry.info("event published", Map.of("detailType", detailType, "eventBus", busName));
            return true;
        } catch (SdkException e) {
            return failed(detailType, e.getClass().getSimpleName());
        }
    }

    private boolean failed(String detailType, String reason) {
        telemetry.error("event not published", Map.of("detailType", detailType, "eventBus", busName,
                "error", String.valueOf(reason)));
        telemetry.metric("EventPublishFailed", 1, "Count", Map.of());
        return false;
    }
}

package io.tributary.simulator.fault;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FaultConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FaultConfiguration.class);

    @Bean
    FaultFilter faultFilter(FaultProperties properties, MeterRegistry meters) {
        log.info("Fault configuration: {}", properties);
        return new FaultFilter(properties, meters);
    }
}

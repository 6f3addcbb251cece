package io.payrail.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The REST API merchants call. It starts workflows and reads state; it runs no workers. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PayrailApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(PayrailApiApplication.class, args);
  }
}

package dev.remediator.action.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What the facts of an action say about a pod template: the images it runs. */
final class PodTemplates {
  private PodTemplates() {}

  /** The images of the template's containers, in order; for a workload, of its spec.template. */
  static List<String> images(JsonNode template) {
    List<String> images = new ArrayList<>();
    for (JsonNode container : template.path("spec").path("containers")) {
      if (container.path("image").isTextual()) {
        images.add(container.path("image").asText());
      }
    }
    return List.copyOf(images);
  }

  static List<String> workloadImages(JsonNode workload) {
    return images(workload.path("spec").path("template"));
  }
}

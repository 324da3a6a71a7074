"""The assistant: a shop's own history as a teacher. Each case's buyer text becomes a vector
(`embedding`, computed by a worker), the resolved cases nearest to a case are found among its
shop's (`similar`), and the cause and remedies they point to are suggested, never decided
(`suggestions`)."""

"""One module per code exercise, named after its id. Each defines CHECK (a tutor.checking.spec.ExerciseCheck)."""

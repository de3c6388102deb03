"""The station's set-up: who works here (staff), which commune (units), which days (calendar)."""

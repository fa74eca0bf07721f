"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

// Requests raised and answered per week, drawn in the browser (recharts). The chart is a picture for
// sighted readers: it is hidden from assistive technology, and the page gives the same figures as a
// summary and a table next to it.

export type WeekPoint = { label: string; raised: number; answered: number };

export function WeeklyChart({ weeks }: { weeks: WeekPoint[] }) {
  return (
    <div aria-hidden="true" className="w-full" data-testid="weekly-chart">
      <BarChart
        responsive
        style={{ width: "100%", height: 300 }}
        data={weeks}
        accessibilityLayer={false}
        margin={{ top: 10, right: 10, bottom: 5, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fill: "#334155", fontSize: 12 }} />
        <YAxis allowDecimals={false} tick={{ fill: "#334155", fontSize: 12 }} width={40} />
        <Tooltip />
        <Legend />
        <Bar dataKey="raised" name="Raised" fill="#1d4ed8" isAnimationActive={false} />
        <Bar dataKey="answered" name="Answered (first responses)" fill="#15803d" isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

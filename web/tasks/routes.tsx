import { Route, Routes } from 'react-router';
import { registerMessages } from '../i18n/index.ts';
import { taskMessages } from './messages.ts';
import { NewTaskPage } from './NewTaskPage.tsx';
import { TaskBoardPage } from './TaskBoardPage.tsx';
import { TaskListPage } from './TaskListPage.tsx';
import { TaskPage } from './TaskPage.tsx';

registerMessages('tasks', taskMessages);

/** /tasks, /tasks/board, /tasks/new(?parent=ID), /tasks/:id */
export default function TaskRoutes() {
  return (
    <Routes>
      <Route index element={<TaskListPage />} />
      <Route path="board" element={<TaskBoardPage />} />
      <Route path="new" element={<NewTaskPage />} />
      <Route path=":id" element={<TaskPage />} />
    </Routes>
  );
}
